// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";
import { ERC1271WalletMock } from "../mocks/ERC1271WalletMock.sol";
import { BadMagicWalletMock } from "../mocks/BadMagicWalletMock.sol";

contract SetTrainingConsentBySig_Unit_Test is Base {
    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        deadline = START + 1 hours;
        _registerAs(alice, HASH);
    }

    function _submit(bool consent, uint40 nonce, bytes memory signature) internal returns (bool) {
        vm.prank(relayer);
        return registry.setTrainingConsentBySig(HASH, consent, nonce, deadline, signature);
    }

    function test_HashTrainingConsent_MatchesIndependentDigest() external view {
        assertEq(
            registry.hashTrainingConsent(HASH, false, 7, deadline),
            _digest(block.chainid, address(registry), _consentStructHash(HASH, false, 7, deadline))
        );
    }

    function test_SetTrainingConsentBySig() external {
        bytes memory signature = _signConsent(alicePk, HASH, false, 0, deadline);
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.TrainingConsentChanged(HASH, alice, false, 1);
        assertTrue(_submit(false, 0, signature));
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, false);
    }

    function test_SetTrainingConsentBySig_Erc1271Wallet() external {
        ERC1271WalletMock wallet = new ERC1271WalletMock(bob);
        _registerAs(address(wallet), OTHER_HASH);
        bytes memory signature = _signConsent(bobPk, OTHER_HASH, false, 0, deadline);
        vm.prank(relayer);
        assertTrue(registry.setTrainingConsentBySig(OTHER_HASH, false, 0, deadline, signature));
        assertFalse(registry.hasTrainingConsent(OTHER_HASH));
    }

    function test_SetTrainingConsentBySig_ResubmissionIsANoOp() external {
        bytes memory signature = _signConsent(alicePk, HASH, false, 0, deadline);
        assertTrue(_submit(false, 0, signature));
        bytes32 before = _recordWord(HASH);
        vm.recordLogs();
        assertFalse(_submit(false, 0, signature));
        assertEq(vm.getRecordedLogs().length, 0, "no event");
        assertEq(_recordWord(HASH), before);
    }

    /// @dev A replay of an old "revoke" after a later "grant" would flip consent back: the used nonce stops it.
    function test_RevertWhen_ReplayedAfterLaterChange() external {
        bytes memory revoke = _signConsent(alicePk, HASH, false, 0, deadline);
        _submit(false, 0, revoke);
        _submit(true, 1, _signConsent(alicePk, HASH, true, 1, deadline));
        bytes32 before = _recordWord(HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidNonce.selector, HASH, 0, 2));
        _submit(false, 0, revoke);
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_NonceReusedForOtherChange() external {
        _submit(false, 0, _signConsent(alicePk, HASH, false, 0, deadline));
        bytes32 before = _recordWord(HASH);
        bytes memory reused = _signConsent(alicePk, HASH, true, 0, deadline);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidNonce.selector, HASH, 0, 1));
        _submit(true, 0, reused);
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_NonceFromTheFuture() external {
        bytes32 before = _recordWord(HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidNonce.selector, HASH, 5, 0));
        _submit(false, 5, _signConsent(alicePk, HASH, false, 5, deadline));
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_DeadlinePassed() external {
        bytes memory signature = _signConsent(alicePk, HASH, false, 0, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_SignatureExpired.selector, deadline, deadline + 1)
        );
        _submit(false, 0, signature);
        assertTrue(registry.hasTrainingConsent(HASH));
    }

    function test_RevertWhen_SignedByOtherSigner() external {
        bytes memory signature = _signConsent(bobPk, HASH, false, 0, deadline);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, alice, bob));
        _submit(false, 0, signature);
        assertTrue(registry.hasTrainingConsent(HASH));
        assertEq(registry.getRecord(HASH).nonce, 0);
    }

    function test_RevertWhen_HighSMalleableForm() external {
        (bytes memory twin, bytes32 highS) = _highS(_signConsent(alicePk, HASH, false, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_MalleableSignature.selector, alice, highS));
        _submit(false, 0, twin);
        assertTrue(registry.hasTrainingConsent(HASH));
    }

    function test_RevertWhen_WalletAnswersWrongMagicValue() external {
        BadMagicWalletMock wallet = new BadMagicWalletMock();
        _registerAs(address(wallet), OTHER_HASH);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_InvalidWalletSignature.selector,
                address(wallet),
                registry.hashTrainingConsent(OTHER_HASH, false, 0, deadline)
            )
        );
        vm.prank(relayer);
        registry.setTrainingConsentBySig(OTHER_HASH, false, 0, deadline, hex"");
        assertTrue(registry.hasTrainingConsent(OTHER_HASH));
    }

    function test_RevertWhen_NotRegistered() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotRegistered.selector, OTHER_HASH));
        vm.prank(relayer);
        registry.setTrainingConsentBySig(OTHER_HASH, false, 0, deadline, hex"");
        _assertUnregistered(OTHER_HASH);
    }

    /// @dev A signature of the previous author cannot change consent once authorship has moved on.
    function test_RevertWhen_SignedByPreviousAuthor() external {
        bytes memory signature = _signConsent(alicePk, HASH, false, 1, deadline);
        vm.prank(alice);
        registry.transferAuthorship(HASH, bob);
        vm.prank(bob);
        registry.acceptAuthorship(HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, bob, alice));
        _submit(false, 1, signature);
        assertTrue(registry.hasTrainingConsent(HASH));
    }
}
